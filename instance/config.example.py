# Copy to instance/config.py. Every name here can also be set as FLASK_<NAME>.
# DATABASE_URL = "postgresql://rpp:secret@localhost:5432/rpp"
# MAIL_BACKEND = "smtp"           # console (default), smtp, file, locmem
# MAIL_SERVER = "smtp.example.com"
# MAIL_PORT = 587
# MAIL_USE_TLS = True
# PORTAL_URL = "https://producers.example.com"
# SECRET_KEY = "a long random string"
