"""The editorial layer: curated people and their mentions, annotations on cables."""
