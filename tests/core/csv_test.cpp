// CSV cells for spreadsheets: formula neutralisation, RFC 4180 quoting, rows and the byte-order mark.
#include "core/text/csv.hpp"

#include <boost/test/unit_test.hpp>

using namespace ensemble::core;

BOOST_AUTO_TEST_SUITE(csv)

BOOST_AUTO_TEST_CASE(plain_values_are_left_alone) {
    BOOST_TEST(csv_cell("Amina Diallo") == "Amina Diallo");
    BOOST_TEST(csv_cell("Élodie Côté") == "Élodie Côté");
    BOOST_TEST(csv_cell("") == "");
    BOOST_TEST(csv_cell("a@b.co") == "a@b.co");  // '@' only matters at the start
    BOOST_TEST(csv_cell("2025-11-22T09:30:00-05:00") == "2025-11-22T09:30:00-05:00");
}

BOOST_AUTO_TEST_CASE(formula_starts_are_neutralised) {
    BOOST_TEST(csv_cell("=1+2") == "'=1+2");
    BOOST_TEST(csv_cell("+15551234567") == "'+15551234567");
    BOOST_TEST(csv_cell("-2+3") == "'-2+3");
    BOOST_TEST(csv_cell("@SUM(A1:A9)") == "'@SUM(A1:A9)");
    BOOST_TEST(csv_cell("\tcmd") == "'\tcmd");
    BOOST_TEST(csv_cell("\r=cmd") == "\"'\r=cmd\"");  // the CR also forces quoting
    BOOST_TEST(csv_cell("=HYPERLINK(\"http://evil.example\",\"click\")") ==
               "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"");
    BOOST_TEST(csv_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0");
}

BOOST_AUTO_TEST_CASE(quoting) {
    BOOST_TEST(csv_cell("Diallo, Amina") == "\"Diallo, Amina\"");
    BOOST_TEST(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    BOOST_TEST(csv_cell("two\nlines") == "\"two\nlines\"");
    BOOST_TEST(csv_cell("crlf\r\nline") == "\"crlf\r\nline\"");
    BOOST_TEST(csv_cell("semi;colon") == "\"semi;colon\"");
    BOOST_TEST(csv_cell(" padded ") == "\" padded \"");
}

BOOST_AUTO_TEST_CASE(rows_end_in_crlf_and_the_bom_is_utf8) {
    BOOST_TEST(csv_row({"id", "name", "email"}) == "id,name,email\r\n");
    BOOST_TEST(csv_row({"1", "Côté, Élodie", "=evil()"}) == "1,\"Côté, Élodie\",'=evil()\r\n");
    BOOST_TEST(csv_row({}) == "\r\n");
    BOOST_TEST(csv_row({"", ""}) == ",\r\n");
    BOOST_TEST(std::string(csv_bom) == "\xEF\xBB\xBF");
}

BOOST_AUTO_TEST_SUITE_END()
