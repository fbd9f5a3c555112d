// CSV cells and rows.
#include "core/text/csv.hpp"

namespace ensemble::core {

std::string csv_cell(std::string_view value) {
    std::string v;
    if (!value.empty() && (value.front() == '=' || value.front() == '+' || value.front() == '-' || value.front() == '@' ||
                           value.front() == '\t' || value.front() == '\r'))
        v = "'";
    v.append(value);
    bool quote = v.find_first_of(",\"\r\n;") != std::string::npos || (!v.empty() && (v.front() == ' ' || v.back() == ' '));
    if (!quote) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csv_row(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        out += csv_cell(cells[i]);
    }
    out += "\r\n";
    return out;
}

}  // namespace ensemble::core
