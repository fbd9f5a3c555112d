// Markdown to HTML for event descriptions, with raw HTML and unsafe links removed.
#pragma once

#include <string>
#include <string_view>

namespace ensemble::core {

// CommonMark rendered in cmark's safe mode: raw HTML is dropped, javascript:/data: links are emptied.
std::string markdown_to_html(std::string_view markdown);

}  // namespace ensemble::core
