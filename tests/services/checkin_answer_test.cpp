// The door's scan answer written out by hand: the same bytes as nlohmann::json's, whatever the name.
#include "core/services/checkin.hpp"

#include <boost/test/unit_test.hpp>

namespace core = ensemble::core;
namespace services = ensemble::core::services;

namespace {

services::scan_outcome outcome(std::string name, std::string device) {
    services::scan_outcome o;
    o.result = core::checkin_result::already_checked_in;
    o.registration_id = 7;
    o.event_id = 3;
    o.name = std::move(name);
    o.m = core::mode::online;
    o.checked_in_at = core::instant{} + std::chrono::milliseconds(1'795'000'000'123);
    o.device_id = std::move(device);
    o.online_at_door = true;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checkin_answer)

BOOST_AUTO_TEST_CASE(the_answer_text_is_what_the_json_tree_dumps) {
    for (auto o : {outcome("Zoë Côté-Mbeki", "door-1"), outcome("Ana \"Nana\" O'Neil\\\tMD", "phone \"A\"\n"), outcome("", ""),
                   outcome("李雷 🩺", "téléphone")}) {
        BOOST_TEST(services::scan_answer_text(o) == services::scan_answer(o).dump());
        o.result = core::checkin_result::checked_in;
        o.online_at_door = false;
        o.m = core::mode::in_person;
        BOOST_TEST(services::scan_answer_text(o) == services::scan_answer(o).dump());
    }
    // Bytes that are not clean text go through nlohmann (which replaces what is not UTF-8).
    auto odd = outcome(std::string("bad \xff byte"), "x");
    BOOST_CHECK_NO_THROW(services::scan_answer_text(odd));
    // A re-sent scan replays its stored answer.
    auto replay = outcome("Zoë", "door-1");
    replay.body = nlohmann::json{{"result", "checked_in"}, {"stored", true}};
    BOOST_TEST(services::scan_answer_text(replay) == replay.body.dump());
}

BOOST_AUTO_TEST_SUITE_END()
