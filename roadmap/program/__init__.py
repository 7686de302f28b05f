"""The program: its model, loading and checking its folder, its contacts, and its terms dated."""
