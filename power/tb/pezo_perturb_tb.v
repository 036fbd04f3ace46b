// SPDX-License-Identifier: Apache-2.0
`timescale 1ns/1ps
`default_nettype none
// pezo_perturb_tb: the equal-throughput stimulus of power/throughput.py, for RTL and netlist.
//
// Resets, sets the source up (PEZO_POOL: one pool fill from seeds.hex line 0; else: one seed
// per RNG-array generator, line l), then runs +steps=Z ZO steps of +d=D numbers: per step a
// step_i pass (+eps), then two replay_i passes (-eps, update), m_ready_i always high (full
// rate, LANES numbers per clock). Waves (+waves=FILE, depth +depth=N) start at the first step,
// so set-up is outside the measurement. Prints one PASS line per pass (numbers kept, a hash of
// the kept lanes) and a SUMMARY line; stops with an error if a pass has not exactly d numbers
// or a replay differs from its step's first pass.
// Compile-time settings: -DPEZO_POOL, -DPEZO_SCALED (pool + scale terms), -DGATE_LEVEL (no
// parameters on the netlist), -DDUT=<module>, -DDUT_PARAMS=<.X(1), ...>, -P for the widths.

module pezo_perturb_tb;

// Numbers per beat and the width of one output lane.
parameter integer LANES = 4;
parameter integer OUT_W = 9;
// Generator state width (seed words), RNG-array seed index width.
parameter integer STATE_W = 32;
parameter integer IDX_W = 2;
// Scale terms (PEZO_SCALED): term count, bits of one shift, and the terms themselves.
parameter integer TERMS = 3;
parameter integer SHIFT_W = 5;
parameter [7:0] SCALE_EN = 8'h0;
parameter [7:0] SCALE_NEG = 8'h0;
parameter [63:0] SCALE_SHIFT = 64'h0;

reg clk = 1'b0;
reg rst_n = 1'b0;
reg step = 1'b0;
reg replay = 1'b0;
reg [15:0] cfg_d = 16'd0;
wire idle;
wire cfg_err;
wire m_valid;
wire [LANES*OUT_W-1:0] m_data;
wire [LANES-1:0] m_keep;
wire m_last;

reg [STATE_W-1:0] seeds [0:63];

always #5 clk = ~clk;  // 100 MHz

`ifdef GATE_LEVEL
  `define PEZO_TB_PARAMS
`else
  `define PEZO_TB_PARAMS #(`DUT_PARAMS)
`endif

`ifdef PEZO_POOL
reg fill = 1'b0;
wire fill_busy;
`DUT `PEZO_TB_PARAMS dut (
    .clk_i(clk), .rst_ni(rst_n),
    .fill_i(fill), .fill_seed_i(seeds[0]), .fill_busy_o(fill_busy),
`ifdef PEZO_SCALED
    .scale_en_i(SCALE_EN[TERMS-1:0]), .scale_neg_i(SCALE_NEG[TERMS-1:0]),
    .scale_shift_i(SCALE_SHIFT[TERMS*SHIFT_W-1:0]), .scale_err_o(),
`else
    .fill_sumsq_o(),
`endif
    .cfg_d_i(cfg_d), .cfg_refresh_i(16'd0), .step_i(step), .replay_i(replay),
    .idle_o(idle), .cfg_err_o(cfg_err),
    .m_valid_o(m_valid), .m_ready_i(1'b1), .m_data_o(m_data), .m_keep_o(m_keep),
    .m_last_o(m_last));

task automatic set_up;
    begin
        @(negedge clk) fill = 1'b1;
        @(negedge clk) fill = 1'b0;
        while (fill_busy || !idle) @(negedge clk);
    end
endtask
`else
reg seed_we = 1'b0;
reg [IDX_W-1:0] seed_idx = {IDX_W{1'b0}};
reg [STATE_W-1:0] seed_value = {STATE_W{1'b0}};
`DUT `PEZO_TB_PARAMS dut (
    .clk_i(clk), .rst_ni(rst_n),
    .seed_we_i(seed_we), .seed_idx_i(seed_idx), .seed_i(seed_value),
    .cfg_d_i(cfg_d), .step_i(step), .replay_i(replay), .idle_o(idle), .cfg_err_o(cfg_err),
    .m_valid_o(m_valid), .m_ready_i(1'b1), .m_data_o(m_data), .m_keep_o(m_keep),
    .m_last_o(m_last));

task automatic set_up;
    integer g;
    begin
        for (g = 0; g < LANES; g = g + 1) begin
            @(negedge clk) begin
                seed_we = 1'b1;
                seed_idx = g[IDX_W-1:0];
                seed_value = seeds[g];
            end
        end
        @(negedge clk) seed_we = 1'b0;
    end
endtask
`endif

// ---------------------------------------------------------------- counting (after the fall)
integer numbers = 0;        // numbers delivered since the first step
integer beats = 0;
integer pass_numbers = 0;
reg [63:0] pass_hash = 64'd0;
reg measuring = 1'b0;
integer lane;

always @(negedge clk) begin
    if (measuring && m_valid) begin  // m_ready_i is 1: the beat transfers at the next rise
        beats = beats + 1;
        for (lane = 0; lane < LANES; lane = lane + 1) begin
            if (m_keep[lane]) begin
                numbers = numbers + 1;
                pass_numbers = pass_numbers + 1;
                // the signed value: forms of one number at other widths hash alike
                pass_hash = (pass_hash * 64'd1099511628211)
                          ^ {{(64 - OUT_W){m_data[lane*OUT_W + OUT_W - 1]}},
                             m_data[lane*OUT_W +: OUT_W]};
            end
        end
    end
end

// ---------------------------------------------------------------- the ZO steps
integer steps;
integer d;
integer depth;
integer t;
integer use_idx;
integer start_cycle;
integer cycle = 0;
reg [63:0] first_hash;
reg [1023:0] waves;

always @(posedge clk) cycle <= cycle + 1;

task automatic one_pass(input integer use_i);
    begin
        while (!idle) @(negedge clk);
        pass_numbers = 0;
        pass_hash = 64'd0;
        if (use_i == 0) step = 1'b1; else replay = 1'b1;
        @(negedge clk) begin step = 1'b0; replay = 1'b0; end
        while (!(m_valid && m_last)) @(negedge clk);
        @(negedge clk);  // the counting block has taken the last beat
        if (cfg_err || pass_numbers != d) begin
            $display("ERROR step %0d use %0d: %0d numbers, expected %0d (cfg_err %0d)",
                     t, use_i, pass_numbers, d, cfg_err);
            $fatal(1, "pass length");
        end
        if (use_i == 0) first_hash = pass_hash;
        else if (pass_hash != first_hash) $fatal(1, "replay of step %0d differs", t);
        $display("PASS step=%0d use=%0d numbers=%0d hash=%016h", t, use_i, pass_numbers,
                 pass_hash);
    end
endtask

initial begin
    if (!$value$plusargs("steps=%d", steps)) steps = 3;
    if (!$value$plusargs("d=%d", d)) d = 1210;
    if (!$value$plusargs("depth=%d", depth)) depth = 0;
    $readmemh("seeds.hex", seeds);
    cfg_d = d[15:0];
    repeat (2) @(negedge clk);
    rst_n = 1'b1;
    set_up;
    if ($value$plusargs("waves=%s", waves)) begin
        $dumpfile(waves);
        $dumpvars(depth, dut);
    end
    measuring = 1'b1;
    start_cycle = cycle;
    for (t = 0; t < steps; t = t + 1)
        for (use_idx = 0; use_idx < 3; use_idx = use_idx + 1)
            one_pass(use_idx);
    $display("SUMMARY steps=%0d d=%0d numbers=%0d beats=%0d cycles=%0d", steps, d, numbers,
             beats, cycle - start_cycle);
    $finish;
end

endmodule

`default_nettype wire
