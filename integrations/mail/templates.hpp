// Mustache email templates per language, loaded once from a folder and rendered per message.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace ensemble::integrations {

struct rendered_mail {
    std::string subject;
    std::string text;
    std::string html;
};

// The templates of `dir`: `<lang>/<kind>.subject.mustache`, `<kind>.text.mustache` and
// `<kind>.html.mustache`, plus partials (`<lang>/partials/<name>.mustache`, used as `{{> name}}`).
// In HTML every `{{value}}` is HTML-escaped; subjects and text bodies are not HTML and are left as
// they are (subject line breaks are removed when the header is written).
class template_set {
public:
    // Reads every template; throws std::runtime_error naming the folder or file when unreadable or
    // not valid Mustache.
    explicit template_set(const std::filesystem::path& dir);

    // Renders `kind` in `lang` (English when that language has no such template). Throws
    // std::runtime_error when neither language has it.
    rendered_mail render(std::string_view kind, std::string_view lang, const nlohmann::json& data) const;
    bool has(std::string_view kind, std::string_view lang) const;
    const std::filesystem::path& folder() const noexcept { return dir_; }

private:
    std::string render_one(const std::string& lang, const std::string& name, const nlohmann::json& data, bool html) const;

    std::filesystem::path dir_;
    std::uint64_t id_;  // tells the sets apart in the per-thread cache of parsed templates
    static std::atomic<std::uint64_t> next_id_;
    std::map<std::string, std::string, std::less<>> sources_;   // "en/confirmation.html" -> text
    std::map<std::string, std::map<std::string, std::string>> partials_;  // lang -> name -> text
};

}  // namespace ensemble::integrations
