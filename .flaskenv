# Local development only (the flask command reads this; gunicorn does not).
FLASK_APP=app
FLASK_DEBUG=1
