// iCalendar text: folding at 75 octets outside UTF-8 sequences, TEXT escaping, a registration's entry.
#include "integrations/calendar/ics.hpp"

#include "integrations/calendar/registration_ics.hpp"

#include <boost/test/unit_test.hpp>

namespace in = ensemble::integrations;
namespace core = ensemble::core;

namespace {

std::vector<std::string> physical_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto eol = text.find("\r\n", pos);
        BOOST_REQUIRE(eol != std::string::npos);  // every line ends with CRLF
        out.push_back(text.substr(pos, eol - pos));
        pos = eol + 2;
    }
    return out;
}

std::string unfold(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "\r\n ") == 0) {
            i += 2;
            continue;
        }
        out += text[i];
    }
    return out;
}

bool starts_utf8_continuation(const std::string& s) { return !s.empty() && (static_cast<unsigned char>(s[0]) & 0xC0) == 0x80; }

core::event_record sample_event() {
    core::event_record e;
    e.id = 42;
    e.status = "published";
    e.version = 3;
    e.spec.slug = "sommet-2025";
    e.spec.title = {"Annual Summit", "Sommet annuel"};
    e.spec.summary = {"For IEHPs; bring friends, colleagues", "Pour les PSFE; amenez vos collègues"};
    e.spec.timezone = "America/Toronto";
    e.spec.starts_at = *core::parse_instant("2025-11-22T09:30:00-05:00", "UTC");
    e.spec.ends_at = *core::parse_instant("2025-11-22T16:00:00-05:00", "UTC");
    e.spec.where = core::venue{"Centre Sheraton", "1201 boul. René-Lévesque O.", "Montréal", "QC", "H3B 2L7"};
    return e;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ics)

BOOST_AUTO_TEST_CASE(text_is_escaped) {
    BOOST_TEST(in::escape_ics_text("a;b,c\\d\ne\r\nf") == "a\\;b\\,c\\\\d\\ne\\nf");
    BOOST_TEST(in::escape_ics_text("time: 10:00") == "time: 10:00");  // colons stay
    BOOST_TEST(in::escape_ics_text(std::string("bell\x07")) == "bell");
}

BOOST_AUTO_TEST_CASE(long_lines_fold_at_75_octets_never_inside_a_character) {
    std::string line = "DESCRIPTION:" + std::string(30, 'a');
    for (int i = 0; i < 40; ++i) line += "é€";  // 2- and 3-byte sequences
    std::string folded = in::fold_ics_line(line);
    auto lines = physical_lines(folded);
    BOOST_TEST(lines.size() > 2u);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        BOOST_TEST(lines[i].size() <= 75u);
        if (i > 0) {
            BOOST_TEST(lines[i][0] == ' ');
            BOOST_TEST(!starts_utf8_continuation(lines[i].substr(1)));
        }
    }
    BOOST_TEST(unfold(folded) == line + "\r\n");
    BOOST_TEST(in::fold_ics_line("SHORT:1") == "SHORT:1\r\n");
}

BOOST_AUTO_TEST_CASE(a_registration_gets_a_stable_entry) {
    auto e = sample_event();
    core::registration r;
    r.id = 1001;
    r.event_id = 42;
    r.language = "fr";
    r.mode = core::mode::in_person;
    r.manage_token = "tok";
    in::ics_context ctx{"https://summit.example.org", "Équipe", "events@summit.example.org", "summit.example.org"};
    auto stamp = core::now();
    std::string text = in::make_ics(in::registration_ics_event(e, r, ctx, "", "", stamp));
    for (const auto& line : physical_lines(text)) BOOST_TEST(line.size() <= 75u);
    std::string u = unfold(text);
    BOOST_TEST(u.find("UID:event-42-registration-1001@summit.example.org\r\n") != std::string::npos);
    BOOST_TEST(u.find("DTSTART:20251122T143000Z\r\n") != std::string::npos);
    BOOST_TEST(u.find("DTEND:20251122T210000Z\r\n") != std::string::npos);
    BOOST_TEST(u.find("SUMMARY:Sommet annuel\r\n") != std::string::npos);
    BOOST_TEST(u.find("LOCATION:Centre Sheraton\\, 1201 boul. René-Lévesque O.\\, Montréal\\, QC\\, H3B 2L7\r\n") != std::string::npos);
    BOOST_TEST(u.find("Pour les PSFE\\; amenez vos collègues\\n\\nGérer votre inscription : https://summit.example.org/manage/tok") !=
               std::string::npos);
    BOOST_TEST(u.find("SEQUENCE:3\r\n") != std::string::npos);
    BOOST_TEST(u.find("STATUS:CONFIRMED\r\n") != std::string::npos);
    BOOST_TEST(u.find("METHOD:PUBLISH\r\n") != std::string::npos);

    r.mode = core::mode::online;
    e.status = "cancelled";
    std::string online = unfold(in::make_ics(in::registration_ics_event(e, r, ctx, "https://zoom.example/j/1", "42", stamp)));
    BOOST_TEST(online.find("LOCATION:En ligne\r\n") != std::string::npos);
    BOOST_TEST(online.find("https://zoom.example/j/1") != std::string::npos);
    BOOST_TEST(online.find("STATUS:CANCELLED\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
