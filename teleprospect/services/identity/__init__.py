"""Who is acting: the current user and what their role allows."""
