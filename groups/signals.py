"""Signals groups sends for the apps above it, which groups must not import.

`seat_freed` (sender: Group, group_id: int) is sent after commit when a seat may have come
free: someone left or paused, or the capacity grew. A receiver (referrals' waiting list)
offers the seat; groups never learns who listens.
"""

from django.dispatch import Signal

seat_freed = Signal()
