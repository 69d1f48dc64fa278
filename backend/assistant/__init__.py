"""The service assistant 智能客服 (F33): answers, account answers, the pre-screen, handovers."""
