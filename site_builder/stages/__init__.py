"""The build's stages, in order: discover -> parse -> catalog -> render/write -> search."""
