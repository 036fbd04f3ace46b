// pezo_sc: the layout of the DMA's data file (written by tb/train/dma_data.py), as the
// SampleDma and the SampleMonitor read it from the TlmMemory that holds the file.
//
//   header  "PEZODMA1", then little-endian uint32: features, classes, batch, steps, samples
//   records samples x (features pixel bytes, one label byte): the reference's training set
//   indices steps x batch uint32: the record of sample i of step t at t * batch + i, the
//           order the reference draws each step's batch
#ifndef PEZO_SC_DATA_LAYOUT_H_
#define PEZO_SC_DATA_LAYOUT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace pezo_sc {

// What the design was elaborated for (its HDL parameters): a data file must fit it.
struct DesignShape {
    uint32_t features;   // N_IN
    uint32_t classes;    // N_OUT
    uint32_t max_batch;  // MAX_BATCH
};

struct DataLayout {
    static constexpr uint64_t kHeaderBytes = 28;

    uint32_t features = 0, classes = 0, batch = 0, steps = 0, samples = 0;

    uint64_t record_bytes() const { return features + 1ULL; }
    uint64_t record_addr(uint32_t n) const { return kHeaderBytes + n * record_bytes(); }
    uint64_t index_addr(uint32_t step, uint32_t i) const {
        return record_addr(samples) + 4ULL * (static_cast<uint64_t>(step) * batch + i);
    }
    uint64_t total_bytes() const { return index_addr(steps, 0); }
    // A beat on the sample port as 32-bit words: the pixels (four to a word, pixel 0 in the
    // low byte), then the label in a word of its own.
    uint32_t pixel_words() const { return (features + 3) / 4; }
    uint32_t beat_words() const { return pixel_words() + 1; }
};

// A little-endian uint32 of the file.
inline uint32_t le32(const uint8_t* p) {
    return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24;
}
// A record's beat words (pixels, then the label).
void record_words(const DataLayout& layout, const uint8_t* record, std::vector<uint32_t>& words);

// Read a header (kHeaderBytes); an empty string, or what is wrong with it.
std::string parse_layout(const uint8_t* header, DataLayout& out);
// An empty string when the data fits the design, else the first misfit, naming both sides.
std::string check_layout(const DataLayout& layout, const DesignShape& design);

}  // namespace pezo_sc

#endif  // PEZO_SC_DATA_LAYOUT_H_
