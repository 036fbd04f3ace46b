"""pyuvm environment for rtl/pezo_scale.v, the adaptive-scaling stage (shape of tb/lfsr/)."""
