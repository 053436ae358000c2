from rpp import create_app

app = create_app()
