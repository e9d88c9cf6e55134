"""Item pipelines: extract → dates → normalize → dedupe → validate → write, one job each."""
