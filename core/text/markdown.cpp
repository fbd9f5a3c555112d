// cmark in its safe mode.
#include "core/text/markdown.hpp"

#include <cmark.h>

#include <cstdlib>
#include <memory>

namespace ensemble::core {

std::string markdown_to_html(std::string_view markdown) {
    if (markdown.empty()) return {};
    std::unique_ptr<char, decltype(&std::free)> html(
        cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_SAFE | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8),
        &std::free);
    return html ? std::string(html.get()) : std::string();
}

}  // namespace ensemble::core
