// Providers: the SMTP security rule, and the SendGrid and Postmark bodies.
#include "integrations/mail/sender.hpp"

#include "core/security/crypto.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace in = ensemble::integrations;
namespace core = ensemble::core;

namespace {

in::email_message sample() {
    in::email_message m;
    m.from = {"Events", "events@x.org"};
    m.to = {"Ada", "ada@example.org"};
    m.subject = "Confirmé";
    m.text = "text";
    m.html = "<p>html</p>";
    m.message_id = "<outbox-1.ab@x.org>";
    m.attachments.push_back({"invite.ics", "text/calendar; charset=UTF-8; method=PUBLISH", "BEGIN:VCALENDAR"});
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(senders)

BOOST_AUTO_TEST_CASE(smtp_requires_tls_except_towards_loopback_or_when_told) {
    BOOST_TEST((in::smtp_target_of("smtps://mail.example.org:465").tls == in::smtp_tls::implicit));
    BOOST_TEST((in::smtp_target_of("smtp://mail.example.org:587").tls == in::smtp_tls::required));
    BOOST_TEST((in::smtp_target_of("smtp://user@mail.example.org:587").tls == in::smtp_tls::required));
    BOOST_TEST((in::smtp_target_of("smtp://127.0.0.1:2525").tls == in::smtp_tls::optional));
    BOOST_TEST((in::smtp_target_of("smtp://localhost:25").tls == in::smtp_tls::optional));
    BOOST_TEST((in::smtp_target_of("smtp://[::1]:25").tls == in::smtp_tls::optional));
    BOOST_TEST((in::smtp_target_of("smtp://127.evil.example.org:25").tls == in::smtp_tls::optional) == false);
    auto relaxed = in::smtp_target_of("smtp://relay.internal:25?tls=off");
    BOOST_TEST((relaxed.tls == in::smtp_tls::optional));
    BOOST_TEST(relaxed.url == "smtp://relay.internal:25");
}

BOOST_AUTO_TEST_CASE(sendgrid_body_follows_v3_mail_send) {
    auto j = nlohmann::json::parse(in::sendgrid_body(sample()));
    BOOST_TEST(j["personalizations"][0]["to"][0]["email"] == "ada@example.org");
    BOOST_TEST(j["from"]["email"] == "events@x.org");
    BOOST_TEST(j["subject"] == "Confirmé");
    BOOST_TEST(j["content"][0]["type"] == "text/plain");
    BOOST_TEST(j["content"][1]["type"] == "text/html");
    BOOST_TEST(j["headers"]["Message-ID"] == "<outbox-1.ab@x.org>");
    BOOST_TEST(j["attachments"][0]["filename"] == "invite.ics");
    BOOST_TEST(j["attachments"][0]["type"] == "text/calendar");
    BOOST_TEST(j["attachments"][0]["content"] == core::base64("BEGIN:VCALENDAR"));
}

BOOST_AUTO_TEST_CASE(postmark_body_follows_its_email_api) {
    auto j = nlohmann::json::parse(in::postmark_body(sample()));
    BOOST_TEST(j["From"] == "Events <events@x.org>");
    BOOST_TEST(j["To"] == "Ada <ada@example.org>");
    BOOST_TEST(j["TextBody"] == "text");
    BOOST_TEST(j["HtmlBody"] == "<p>html</p>");
    BOOST_TEST(j["Headers"][0]["Name"] == "Message-ID");
    BOOST_TEST(j["Attachments"][0]["Name"] == "invite.ics");
    BOOST_TEST(j["MessageStream"] == "outbound");
}

BOOST_AUTO_TEST_CASE(the_file_provider_writes_one_file_per_message) {
    auto dir = std::filesystem::temp_directory_path() / ("ensemble-mail-" + core::random_token(6));
    in::mail_settings s;
    s.mail_dir = dir.string();
    auto sender = in::make_mail_sender(s);
    auto m = sample();
    BOOST_TEST((sender->send(m).what == in::delivery_outcome::kind::done));
    BOOST_TEST((sender->send(m).what == in::delivery_outcome::kind::done));  // a resend overwrites its own file
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        ++files;
        BOOST_TEST(e.path().extension() == ".eml");
    }
    BOOST_TEST(files == 1);
    std::filesystem::remove_all(dir);
    s.provider = "carrier-pigeon";
    BOOST_CHECK_THROW(in::make_mail_sender(s), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
