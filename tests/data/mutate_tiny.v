`default_nettype none
// A tiny block for the mutation tests: y_o is registered (a & b) | (a & b & c), so the
// three-input term is redundant: a mutant of it alone is equivalent to the original.
module mutate_tiny (input wire clk_i, input wire rst_ni, input wire a_i, input wire b_i,
             input wire c_i, output reg y_o);
  wire redundant = a_i & b_i & c_i;
  always @(posedge clk_i or negedge rst_ni)
    if (!rst_ni) y_o <= 1'b0; else y_o <= (a_i & b_i) | redundant;
endmodule
`default_nettype wire
