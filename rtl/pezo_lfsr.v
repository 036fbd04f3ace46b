// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_lfsr: leap-forward Fibonacci LFSR, one OUT_W-bit uniform word per enabled clock.
//
// One bit step: fb = ^(state & TAPS); state = {fb, state[STATE_W-1:1]}.
// A clock does OUT_W bit steps at once; the word it emits is state_q[OUT_W-1:0]
// before the leap, i.e. the next OUT_W bits of the m-sequence, oldest in bit 0.
// Bit-exact model: ref_model/lfsr.py.

module pezo_lfsr #(
    // State width; the period is 2^STATE_W - 1 with maximal-length TAPS. 2..64.
    parameter integer STATE_W = 32,
    // Word width emitted per clock. 1..STATE_W (wider words repeat state bits).
    parameter integer OUT_W = 16,
    // Feedback mask: bit i set = x^i in the characteristic polynomial
    // x^STATE_W + sum(x^i). Bit 0 must be set. Default: x^32+x^22+x^2+x+1.
    // 64 bits wide whatever STATE_W is (bits above STATE_W-1 must be zero), so
    // one literal format serves every width.
    parameter [63:0] TAPS = 64'h0040_0007,
    // Substituted for an all-zero state (zero seed or upset): never lock up. Non-zero.
    parameter [63:0] ZERO_SUBST = 64'd1
) (
    input  wire               clk_i,
    input  wire               rst_ni,

    // Seed load: has priority over enable; takes effect at the clock edge.
    input  wire               seed_load_i,
    input  wire [STATE_W-1:0] seed_i,

    // Word stream: rnd_o is consumed (and the LFSR leaps) on every clock with en_i high.
    input  wire               en_i,
    output wire [OUT_W-1:0]   rnd_o
);

localparam [63:0] STATE_MASK = {64{1'b1}} >> (64 - STATE_W);

// check configuration (docs/architecture.md, "RTL conventions")
if (STATE_W < 2 || STATE_W > 64) begin : gen_param_error_state_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_lfsr: STATE_W=%0d unsupported, need 2..64", STATE_W);
end
if (OUT_W < 1 || OUT_W > STATE_W) begin : gen_param_error_out_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_lfsr: OUT_W=%0d unsupported, need 1..%0d (OUT_W <= STATE_W)", OUT_W, STATE_W);
end
if (TAPS[0] != 1'b1) begin : gen_param_error_taps_constant
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_lfsr: TAPS=0x%0h unsupported, need bit 0 set (the constant term)", TAPS);
end
if ((TAPS >> STATE_W) != 0) begin : gen_param_error_taps_width
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_lfsr: TAPS=0x%0h unsupported, need < 2^%0d (no bit above STATE_W-1)", TAPS, STATE_W);
end
if (ZERO_SUBST == 0 || (ZERO_SUBST >> STATE_W) != 0) begin : gen_param_error_zero_subst
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_lfsr: ZERO_SUBST=0x%0h unsupported, need 0x1..0x%0h (non-zero, STATE_W bits)",
        ZERO_SUBST, STATE_MASK);
end

// OUT_W clamped to a selectable width: an illegal OUT_W still reaches its check on Icarus
localparam integer WORD_W = (OUT_W < 1) ? 1 : (OUT_W > STATE_W) ? STATE_W : OUT_W;
localparam [STATE_W-1:0] FEEDBACK = STATE_W'(TAPS);
localparam [STATE_W-1:0] NONZERO = STATE_W'(ZERO_SUBST);

reg  [STATE_W-1:0] state_q;
reg  [STATE_W-1:0] state_d;
reg  [STATE_W-1:0] leap;
integer i;

// OUT_W single-bit steps unrolled into one XOR network.
always @* begin
    leap = (state_q == 0) ? NONZERO : state_q;
    for (i = 0; i < WORD_W; i = i + 1) begin
        leap = {^(leap & FEEDBACK), leap[STATE_W-1:1]};
    end
end

always @* begin
    state_d = state_q;
    if (seed_load_i) begin
        state_d = (seed_i == 0) ? NONZERO : seed_i;
    end else if (en_i) begin
        state_d = leap;
    end
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        state_q <= NONZERO;
    end else begin
        state_q <= state_d;
    end
end

assign rnd_o = state_q[WORD_W-1:0];

endmodule

`default_nettype wire
