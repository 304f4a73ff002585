DROP TABLE IF EXISTS zone_fences;
