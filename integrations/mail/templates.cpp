// Loading and rendering the Mustache templates (kainjow).
#include "integrations/mail/templates.hpp"

#include <kainjow/mustache.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace ensemble::integrations {
namespace {

namespace fs = std::filesystem;
using kainjow::mustache::data;
using kainjow::mustache::mustache;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("email templates: cannot read " + p.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

data to_data(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::object: {
            data d(data::type::object);
            for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), to_data(it.value()));
            return d;
        }
        case nlohmann::json::value_t::array: {
            data d(data::type::list);
            for (const auto& v : j) d.push_back(to_data(v));
            return d;
        }
        case nlohmann::json::value_t::string: return data(j.get<std::string>());
        case nlohmann::json::value_t::boolean: return data(j.get<bool>());
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float: return data(j.dump());
        default: return data(false);
    }
}

}  // namespace

std::atomic<std::uint64_t> template_set::next_id_{1};

template_set::template_set(const fs::path& dir) : dir_(dir), id_(next_id_++) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw std::runtime_error("email templates: " + dir.string() + " is not a folder (see email.templates_dir)");
    for (const char* lang : {"en", "fr"}) {
        fs::path base = dir / lang;
        if (!fs::is_directory(base, ec)) continue;
        for (const auto& entry : fs::directory_iterator(base)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
            std::string name = entry.path().stem().string();  // "confirmation.html"
            sources_[std::string(lang) + "/" + name] = read_file(entry.path());
        }
        fs::path partial_dir = base / "partials";
        if (fs::is_directory(partial_dir, ec))
            for (const auto& entry : fs::directory_iterator(partial_dir))
                if (entry.is_regular_file() && entry.path().extension() == ".mustache")
                    partials_[lang][entry.path().stem().string()] = read_file(entry.path());
    }
    if (sources_.empty()) throw std::runtime_error("email templates: no template found under " + dir.string());
    for (const auto& [name, source] : sources_) {
        mustache check(source);
        if (!check.is_valid()) throw std::runtime_error("email templates: " + name + ".mustache: " + check.error_message());
    }
}

bool template_set::has(std::string_view kind, std::string_view lang) const {
    return sources_.count(std::string(lang) + "/" + std::string(kind) + ".html") > 0;
}

std::string template_set::render_one(const std::string& lang, const std::string& name, const nlohmann::json& values, bool html) const {
    std::string key = lang + "/" + name;
    auto it = sources_.find(key);
    if (it == sources_.end()) throw std::runtime_error("email templates: " + key + ".mustache is missing");
    // Parsed once per thread and template set (kainjow's render is not safe to share between threads).
    thread_local std::map<std::pair<std::uint64_t, std::string>, std::unique_ptr<mustache>> parsed;
    auto& slot = parsed[{id_, key}];
    if (!slot) {
        slot = std::make_unique<mustache>(it->second);
        if (!html) slot->set_custom_escape([](const std::string& s) { return s; });
    }
    mustache& tmpl = *slot;
    data d = to_data(values);
    auto partials = partials_.find(lang);
    if (partials != partials_.end())
        for (const auto& [pname, psource] : partials->second) {
            std::string copy = psource;
            d.set(pname, data(kainjow::mustache::partial([copy] { return copy; })));
        }
    std::string out = tmpl.render(d);
    if (!tmpl.is_valid()) throw std::runtime_error("email templates: " + lang + "/" + name + ".mustache: " + tmpl.error_message());
    return out;
}

rendered_mail template_set::render(std::string_view kind, std::string_view lang_in, const nlohmann::json& values) const {
    std::string lang = has(kind, lang_in) ? std::string(lang_in) : std::string("en");
    std::string k(kind);
    rendered_mail out;
    out.subject = render_one(lang, k + ".subject", values, false);
    while (!out.subject.empty() && (out.subject.back() == '\n' || out.subject.back() == '\r' || out.subject.back() == ' '))
        out.subject.pop_back();
    out.text = render_one(lang, k + ".text", values, false);
    out.html = render_one(lang, k + ".html", values, true);
    return out;
}

}  // namespace ensemble::integrations
