// JSON written out by hand where nlohmann::json's tree costs more than the answer is worth.
#pragma once

#include <string>
#include <string_view>

namespace ensemble::core {

// Appends `s` to `out` as the inside of a JSON string (no quotes): quote, backslash and control
// characters escaped, every other byte as it is (so the caller gives valid UTF-8, or accepts it as is).
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace ensemble::core
