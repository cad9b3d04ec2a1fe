"""Thin views: fetch through groups.permissions, write through services, render."""
