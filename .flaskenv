# Local development only (the flask command reads this; gunicorn does not). Debug is never on here:
# scripts/serve asks for it (flask --debug), so every other flask command runs as production does.
FLASK_APP=app
