"""The 7×24 service assistant 智能客服 (F33), its pure part: the knowledge base, matching a
question to a topic, the conversation's steps, the pre-screen's questions and working hours."""
