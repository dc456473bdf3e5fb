"""The cartography scene: colours, patterns, symbols, labels and legend, decided once for every output."""
