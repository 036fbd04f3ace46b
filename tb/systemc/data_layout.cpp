// pezo_sc: the DMA data file's header, read and checked against the design (data_layout.h).
#include "data_layout.h"

#include <cstring>

namespace pezo_sc {

void record_words(const DataLayout& layout, const uint8_t* record, std::vector<uint32_t>& words) {
    words.assign(layout.beat_words(), 0u);
    for (uint32_t p = 0; p < layout.features; ++p) {
        words[p / 4] |= static_cast<uint32_t>(record[p]) << (8 * (p % 4));
    }
    words.back() = record[layout.features];
}

std::string parse_layout(const uint8_t* header, DataLayout& out) {
    if (std::memcmp(header, "PEZODMA1", 8) != 0) {
        return "not a DMA data file (no PEZODMA1 header)";
    }
    out.features = le32(header + 8);
    out.classes = le32(header + 12);
    out.batch = le32(header + 16);
    out.steps = le32(header + 20);
    out.samples = le32(header + 24);
    if (out.features == 0 || out.batch == 0 || out.steps == 0 || out.samples == 0) {
        return "features, batch, steps and samples must all be >= 1";
    }
    return "";
}

std::string check_layout(const DataLayout& layout, const DesignShape& design) {
    if (layout.features != design.features) {
        return "features " + std::to_string(layout.features) + ", the design has N_IN="
               + std::to_string(design.features);
    }
    if (layout.classes != design.classes) {
        return "classes " + std::to_string(layout.classes) + ", the design has N_OUT="
               + std::to_string(design.classes);
    }
    if (layout.batch > design.max_batch) {
        return "batch " + std::to_string(layout.batch) + ", the design has MAX_BATCH="
               + std::to_string(design.max_batch);
    }
    return "";
}

}  // namespace pezo_sc
