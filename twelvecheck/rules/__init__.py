"""Rules, in one family package per input kind; see ``registry`` for how they are found."""
