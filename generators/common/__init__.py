"""What every generator shares: quoting filters, the Jinja2 environment, deterministic dumps."""
