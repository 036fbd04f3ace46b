"""pyuvm environment for rtl/pezo_lfsr.v, the template every later bench follows."""
