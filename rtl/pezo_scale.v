// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_scale: adaptive-scaling stage, every lane times M as a shift-add of signed powers of two.
//
// m lane l = v_l * M. With shift_k = e_k - E_MIN (E_MIN = -12) this is the fixed-point
// z_int = v * M of ref_model/perturb.py (uniform-scaled), ZF = W + 12. SCALE_MODE picks where
// M comes from (docs/pool-and-scale.md, "Three forms of the scale"):
//   0 programmable: M = sum over enabled terms k of (-1)^neg_k * 2^shift_k from the scale_*
//     ports, sum of +/-(v_l << shift_k) through P x K barrel shifters. The host computes the
//     greedy terms (ref_model/scaling.py) from the pool's fill_sumsq_o after every fill; they
//     must not change while beats are in flight. A term whose shift exceeds SHIFT_MAX is
//     ignored and raises scale_err_o.
//   1 fixed: M = SCALE_M, set at elaboration; v * M as constant shift-adds (the signed digits
//     of M, at most as many as the greedy's terms), no mux. The scale_* ports are ignored.
//   2 folded: as 1, but the power of two 2^FOLD dividing SCALE_M is left to the consumer's
//     shifts: m = v * (SCALE_M >> FOLD) with ZF - FOLD fraction bits. A power-of-two SCALE_M
//     leaves m = v: a register, no adder.
// One registered valid/ready stage in every mode; lanes whose keep bit is low carry 0.

module pezo_scale #(
    // Numbers per beat. >= 1.
    parameter integer LANES = 4,
    // Width of one signed input number. 2..32.
    parameter integer NUM_W = 9,
    // Number of shift-add terms (K). 1..8.
    parameter integer TERMS = 3,
    // Largest shift a term may use (E_MAX - E_MIN = 16 for the reference). 1..31.
    parameter integer SHIFT_MAX = 16,
    // Where M comes from, see above: 0 programmable, 1 fixed, 2 fixed and folded. 0..2.
    parameter integer SCALE_MODE = 0,
    // The fixed M (SCALE_MODE 1, 2; default: the 3 greedy terms of sqrt(3), 2^13-2^10-2^6). >= 1.
    parameter integer SCALE_M = 7104,
    // Width of one signed output lane, no overflow for any input: mode 0 (any terms)
    // >= NUM_W + SHIFT_MAX + clog2(TERMS + 1); modes 1, 2 >= NUM_W + clog2(SCALE_M >> FOLD).
    // <= 64.
    parameter integer OUT_W = 28
) (
    input  wire                          clk_i,
    input  wire                          rst_ni,

    // Scale terms (quasi-static registers written by the host).
    input  wire [TERMS-1:0]              scale_en_i,     // term k used
    input  wire [TERMS-1:0]              scale_neg_i,    // term k subtracted
    input  wire [TERMS*$clog2(SHIFT_MAX+1)-1:0] scale_shift_i, // term k = 2^shift_k
    output wire                          scale_err_o,    // some enabled shift > SHIFT_MAX

    // Input stream (unscaled numbers).
    input  wire                          s_valid_i,
    output wire                          s_ready_o,
    input  wire [LANES*NUM_W-1:0]        s_data_i,
    input  wire [LANES-1:0]              s_keep_i,
    input  wire                          s_last_i,

    // Output stream (scaled numbers).
    output wire                          m_valid_o,
    input  wire                          m_ready_i,
    output wire [LANES*OUT_W-1:0]        m_data_o,
    output wire [LANES-1:0]              m_keep_o,
    output wire                          m_last_o
);

// bits of one scale_shift_i field (>= 1: an illegal SHIFT_MAX still reaches its check)
localparam integer SHIFT_W = (SHIFT_MAX > 0) ? $clog2(SHIFT_MAX + 1) : 1;
localparam integer MIN_OUT_W = NUM_W + SHIFT_MAX + $clog2(TERMS + 1);
// the power of two folded out of M (mode 2): the trailing zeros of SCALE_M (m & -m = 2^tz)
localparam integer FOLD = (SCALE_MODE == 2 && SCALE_M > 0) ? $clog2(SCALE_M & -SCALE_M) : 0;
// what a fixed stage multiplies by (>= 1: an illegal SCALE_M still reaches its check)
localparam integer FIXED_M = (SCALE_M > 0) ? SCALE_M >> FOLD : 1;
localparam integer MIN_FIXED_OUT_W = NUM_W + $clog2(FIXED_M);
// LANES for replications, >= 1: an illegal LANES still reaches its check on Icarus
localparam integer LANES_MIN1 = (LANES > 0) ? LANES : 1;

// check configuration (docs/architecture.md, "RTL conventions")
if (LANES < 1) begin : gen_param_error_lanes
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_scale: LANES=%0d unsupported, need >= 1", LANES);
end
if (NUM_W < 2 || NUM_W > 32) begin : gen_param_error_num_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_scale: NUM_W=%0d unsupported, need 2..32", NUM_W);
end
if (TERMS < 1 || TERMS > 8) begin : gen_param_error_terms
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_scale: TERMS=%0d unsupported, need 1..8", TERMS);
end
if (SHIFT_MAX < 1 || SHIFT_MAX > 31) begin : gen_param_error_shift_max
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_scale: SHIFT_MAX=%0d unsupported, need 1..31", SHIFT_MAX);
end
if (SCALE_MODE < 0 || SCALE_MODE > 2) begin : gen_param_error_scale_mode
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_scale: SCALE_MODE=%0d unsupported, need 0..2", SCALE_MODE);
end
if (SCALE_MODE != 0 && SCALE_M < 1) begin : gen_param_error_scale_m
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_scale: SCALE_M=%0d unsupported, need >= 1 (SCALE_MODE 1, 2)", SCALE_M);
end
if (SCALE_MODE == 0 && (OUT_W < MIN_OUT_W || OUT_W > 64)) begin : gen_param_error_out_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_scale: OUT_W=%0d unsupported, need %0d..64 (NUM_W + SHIFT_MAX + clog2(TERMS+1))", OUT_W, MIN_OUT_W);
end
if (SCALE_MODE != 0 && (OUT_W < MIN_FIXED_OUT_W || OUT_W > 64)) begin : gen_param_error_fixed_out_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_scale: OUT_W=%0d unsupported, need %0d..64 (NUM_W + clog2(SCALE_M >> FOLD))", OUT_W, MIN_FIXED_OUT_W);
end

localparam [SHIFT_W-1:0] SHIFT_LIMIT = SHIFT_W'(SHIFT_MAX);

// ---------------------------------------------------------------- term decode
reg [TERMS-1:0] term_ok;
reg             term_bad;
integer t;

always @* begin
    term_bad = 1'b0;
    for (t = 0; t < TERMS; t = t + 1) begin
        // constant when SHIFT_MAX = 2^SHIFT_W - 1: every shift is in range
        /* verilator lint_off CMPCONST */
        term_ok[t] = scale_en_i[t] && (scale_shift_i[t*SHIFT_W +: SHIFT_W] <= SHIFT_LIMIT);
        /* verilator lint_on CMPCONST */
        term_bad = term_bad || (scale_en_i[t] && !term_ok[t]);
    end
end

// ---------------------------------------------------------------- fixed multiplier
// the signed digits of m (non-adjacent form, the fewest nonzero digits of any signed-binary
// form): bit i of [31:0] stands for +2^i, of [63:32] for -2^i
function automatic [63:0] signed_digits(input integer m);
    reg [33:0] x;
    integer i;
    begin
        signed_digits = 64'd0;
        x = {2'b00, m};
        for (i = 0; i < 32; i = i + 1) begin
            if (x[0]) begin
                if (x[1]) begin
                    signed_digits[32 + i] = 1'b1;
                    x = x + 34'd1;
                end else begin
                    signed_digits[i] = 1'b1;
                    x = x - 34'd1;
                end
            end
            x = x >> 1;
        end
    end
endfunction

localparam [63:0] DIGITS = signed_digits(FIXED_M);

// ---------------------------------------------------------------- shift-add datapath
reg [LANES*OUT_W-1:0] product;
reg [OUT_W-1:0]       v_ext;
reg [OUT_W-1:0]       acc;
reg [OUT_W-1:0]       part;
integer l;
integer k;

always @* begin
    for (l = 0; l < LANES; l = l + 1) begin
        v_ext = {{(OUT_W - NUM_W){s_data_i[l*NUM_W + NUM_W - 1]}}, s_data_i[l*NUM_W +: NUM_W]};
        acc = {OUT_W{1'b0}};
        if (SCALE_MODE == 0) begin
            for (k = 0; k < TERMS; k = k + 1) begin
                part = v_ext << scale_shift_i[k*SHIFT_W +: SHIFT_W];
                if (term_ok[k]) begin
                    acc = scale_neg_i[k] ? acc - part : acc + part;
                end
            end
        end else begin
            // constant shifts: wiring and one adder per nonzero digit after the first
            for (k = 0; k < 32; k = k + 1) begin
                part = v_ext << k;
                if (DIGITS[k]) acc = acc + part;
                if (DIGITS[32 + k]) acc = acc - part;
            end
        end
        product[l*OUT_W +: OUT_W] = s_keep_i[l] ? acc : {OUT_W{1'b0}};
    end
end

// ---------------------------------------------------------------- output register
reg                   m_valid_q;
reg [LANES*OUT_W-1:0] m_data_q;
reg [LANES-1:0]       m_keep_q;
reg                   m_last_q;

wire s_ready = !m_valid_q || m_ready_i;

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        m_valid_q <= 1'b0;
        m_data_q <= {(LANES_MIN1 * OUT_W){1'b0}};
        m_keep_q <= {LANES_MIN1{1'b0}};
        m_last_q <= 1'b0;
    end else if (s_ready) begin
        m_valid_q <= s_valid_i;
        if (s_valid_i) begin
            m_data_q <= product;
            m_keep_q <= s_keep_i;
            m_last_q <= s_last_i;
        end
    end
end

assign s_ready_o = s_ready;
assign m_valid_o = m_valid_q;
assign m_data_o = m_data_q;
assign m_keep_o = m_keep_q;
assign m_last_o = m_last_q;
assign scale_err_o = (SCALE_MODE == 0) && term_bad;  // fixed forms ignore the ports

endmodule

`default_nettype wire
