"""What blueprint renders, per concept and target: the support matrix and its checks."""
