// Body reading shared by handlers.
#include "server/handlers/common.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;

bool too_deep(std::string_view body, int max_depth) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : body) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') {
            if (++depth > max_depth) return true;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return false;
}

core::result<nlohmann::json> read_json(const request_context& ctx, bool empty_ok) {
    const std::string& body = ctx.req.body();
    bool blank = body.find_first_not_of(" \t\r\n") == std::string::npos;
    if (blank) {
        if (empty_ok) return core::result<nlohmann::json>{boost::system::in_place_value, nlohmann::json::object()};
        return core::invalid_field("body", "is required: a JSON object");
    }
    std::string_view type = ctx.req[http::field::content_type];
    auto semi = type.find(';');
    std::string_view base = type.substr(0, semi);
    while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
    if (!boost::beast::iequals(base, "application/json"))
        return core::make_failure(core::errc::unsupported_media_type, "Send the body as application/json.");
    if (too_deep(body, 32)) return core::invalid_field("body", "nests deeper than 32 levels");
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) return core::invalid_field("body", "is not valid JSON");
    return core::result<nlohmann::json>{boost::system::in_place_value, std::move(parsed)};
}

}  // namespace ensemble::server
