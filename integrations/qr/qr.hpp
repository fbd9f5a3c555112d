// QR codes of ticket codes as SVG and PNG (libqrencode, libpng).
#pragma once

#include <string>
#include <string_view>

namespace ensemble::integrations {

// An SVG image of the QR code of `text` (error correction M, 4-module quiet zone). Throws on failure.
std::string qr_svg(std::string_view text);
// A PNG image with `scale` pixels per module. Throws on failure.
std::string qr_png(std::string_view text, int scale = 8);

}  // namespace ensemble::integrations
