// QR encoding and the two image writers.
#include "integrations/qr/qr.hpp"

#include <png.h>
#include <qrencode.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace ensemble::integrations {
namespace {

constexpr int quiet = 4;

struct qr_deleter {
    void operator()(QRcode* q) const noexcept { QRcode_free(q); }
};

std::unique_ptr<QRcode, qr_deleter> encode(std::string_view text) {
    std::string copy(text);
    QRcode* q = QRcode_encodeData(static_cast<int>(copy.size()), reinterpret_cast<const unsigned char*>(copy.data()), 0, QR_ECLEVEL_M);
    if (q == nullptr) throw std::runtime_error("qr: cannot encode the text");
    return std::unique_ptr<QRcode, qr_deleter>(q);
}

}  // namespace

std::string qr_svg(std::string_view text) {
    auto q = encode(text);
    int size = q->width + 2 * quiet;
    std::string path;
    for (int y = 0; y < q->width; ++y) {
        int x = 0;
        while (x < q->width) {
            if (!(q->data[y * q->width + x] & 1)) {
                ++x;
                continue;
            }
            int start = x;
            while (x < q->width && (q->data[y * q->width + x] & 1)) ++x;
            path += "M" + std::to_string(start + quiet) + " " + std::to_string(y + quiet) + "h" + std::to_string(x - start) + "v1h-" +
                    std::to_string(x - start) + "z";
        }
    }
    std::string s = std::to_string(size);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s +
           "\" width=\"" + std::to_string(size * 8) + "\" height=\"" + std::to_string(size * 8) +
           "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code ticket\"><rect width=\"" + s + "\" height=\"" + s +
           "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
}

namespace {

// Writes packed 1-bit grey rows as a PNG. Only plain data lives across libpng's setjmp.
void write_png(const std::vector<std::vector<png_byte>>& rows, png_uint_32 width, std::string* out) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    if (png == nullptr) throw std::runtime_error("qr: libpng failed to start");
    png_infop info = png_create_info_struct(png);
    if (info == nullptr || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw std::runtime_error("qr: PNG encoding failed");
    }
    png_set_write_fn(
        png, out,
        [](png_structp p, png_bytep data, png_size_t length) {
            static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), length);
        },
        [](png_structp) {});
    png_set_IHDR(png, info, width, width, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (std::size_t i = 0; i < rows.size(); ++i) png_write_row(png, rows[i].data());
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
}

}  // namespace

std::string qr_png(std::string_view text, int scale) {
    auto q = encode(text);
    if (scale < 1 || scale > 32) scale = 8;
    int modules = q->width + 2 * quiet;
    int pixels = modules * scale;
    std::vector<std::vector<png_byte>> rows(static_cast<std::size_t>(pixels),
                                            std::vector<png_byte>(static_cast<std::size_t>((pixels + 7) / 8), 0xFF));
    for (int py = 0; py < pixels; ++py) {
        int my = py / scale - quiet;
        auto& row = rows[static_cast<std::size_t>(py)];
        for (int px = 0; px < pixels; ++px) {
            int mx = px / scale - quiet;
            bool dark = my >= 0 && my < q->width && mx >= 0 && mx < q->width && (q->data[my * q->width + mx] & 1);
            if (dark) row[static_cast<std::size_t>(px / 8)] &= static_cast<png_byte>(~(0x80 >> (px % 8)));
        }
    }
    std::string out;
    write_png(rows, static_cast<png_uint_32>(pixels), &out);
    return out;
}

}  // namespace ensemble::integrations
