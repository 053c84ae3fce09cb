"""Reading posts: the post list, the thread view, their models and delegates, and the list controller."""
