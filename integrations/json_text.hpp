// A string or integer member of a JSON object as text (Zoom sends ids as either); empty otherwise.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace ensemble::integrations {

inline std::string json_text(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return {};
    const auto& v = j[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
    return {};
}

}  // namespace ensemble::integrations
