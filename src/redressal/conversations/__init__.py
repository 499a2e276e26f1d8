"""Conversations with customers on a channel (WeChat now, the portal assistant later): staff answer them
or turn one into a case."""
