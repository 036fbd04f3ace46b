// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_round: the stochastic-rounding words of the update pass, LANES per clock.
//
// One word stream of the reference (ref_model/fixed_run.py: one pezo_lfsr-style LFSR,
// STATE_W 32, OUT_W 16, d words per step, word j rounds parameter j): a beat of the update
// pass takes the next `count_i` words (the beat's kept lanes, a prefix), word l in lane l.
// Word l of the current state s is the low WORD_W bits of s after l leaps of WORD_W bit
// steps; the state moves on by count_i leaps. The LANES leaps are one XOR network.
// A zero state or seed is replaced by ZERO_SUBST (never lock up), as in pezo_lfsr.
// Bit-exact model: ref_model/lfsr.py (words of LfsrConfig(32, 16)).

module pezo_train_round #(
    // Words per clock (the engine's MAC lanes). >= 1.
    parameter integer LANES = 4,
    // LFSR state and word widths of the reference's rounding stream.
    parameter integer STATE_W = 32,
    parameter integer WORD_W = 16,
    // Feedback mask (x^32 + x^22 + x^2 + x + 1) and the zero substitute, as pezo_lfsr.
    parameter [63:0] TAPS = 64'h0040_0007,
    parameter [63:0] ZERO_SUBST = 64'd1
) (
    input  wire                       clk_i,
    input  wire                       rst_ni,

    // Seed load (the ROUND_SEED register written): has priority over advance_i.
    input  wire                       seed_load_i,
    input  wire [STATE_W-1:0]         seed_i,

    // The beat consumed count_i (1..LANES) words this clock.
    input  wire                       advance_i,
    input  wire [$clog2(LANES+1)-1:0] count_i,
    output wire [LANES*WORD_W-1:0]    words_o
);

// check configuration (docs/architecture.md, "RTL conventions")
if (LANES < 1) begin : gen_param_error_lanes
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_round: LANES=%0d unsupported, need >= 1", LANES);
end
if (STATE_W > 64) begin : gen_param_error_state_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_round: STATE_W=%0d unsupported, need <= 64", STATE_W);
end
if (WORD_W < 1 || WORD_W > STATE_W) begin : gen_param_error_word_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_round: WORD_W=%0d unsupported, need 1..%0d (WORD_W <= STATE_W)", WORD_W, STATE_W);
end

// widths clamped to what the logic can select, so that illegal values reach their checks
localparam integer N = (LANES < 1) ? 1 : LANES;
localparam integer WW = (WORD_W < 1) ? 1 : (WORD_W > STATE_W) ? STATE_W : WORD_W;
localparam [STATE_W-1:0] FEEDBACK = STATE_W'(TAPS);
localparam [STATE_W-1:0] NONZERO = STATE_W'(ZERO_SUBST);

reg  [STATE_W-1:0]          state_q;
reg  [(N+1)*STATE_W-1:0]    after;   // state after l leaps, l = 0..LANES
reg  [STATE_W-1:0]          s;
reg  [N*WW-1:0]             words;
integer l, b;

always @* begin
    s = (state_q == 0) ? NONZERO : state_q;
    after = {((N + 1) * STATE_W){1'b0}};
    words = {(N * WW){1'b0}};
    for (l = 0; l <= N; l = l + 1) begin
        after[l * STATE_W +: STATE_W] = s;
        if (l < N) begin
            words[l * WW +: WW] = s[WW-1:0];
            for (b = 0; b < WW; b = b + 1) begin
                s = {^(s & FEEDBACK), s[STATE_W-1:1]};
            end
        end
    end
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        state_q <= NONZERO;
    end else if (seed_load_i) begin
        state_q <= (seed_i == 0) ? NONZERO : seed_i;
    end else if (advance_i) begin
        state_q <= after[32'(count_i) * STATE_W +: STATE_W];
    end
end

assign words_o = words;  // N*WW = LANES*WORD_W whenever the checks pass

endmodule

`default_nettype wire
