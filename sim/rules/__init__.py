"""The daily rules, one module per behaviour. Each rule is a short vectorised function over
the population's arrays, named after the behaviour, with the sentence it implements as its
docstring and the source of its form. ``KindlinessModel.step`` calls them in order."""
