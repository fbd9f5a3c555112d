// CSV for spreadsheets: RFC 4180 quoting, a UTF-8 byte-order mark for Excel, formula cells neutralised.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ensemble::core {

// One cell: quoted when needed; a value starting with =, +, -, @, tab or CR gets a leading
// apostrophe so spreadsheets show it as text instead of running it.
std::string csv_cell(std::string_view value);
// A row of cells ending in CRLF.
std::string csv_row(const std::vector<std::string>& cells);
// The UTF-8 byte-order mark Excel needs to read accents right.
inline constexpr std::string_view csv_bom = "\xEF\xBB\xBF";

}  // namespace ensemble::core
