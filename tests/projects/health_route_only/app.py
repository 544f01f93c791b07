from flask import Flask

app = Flask(__name__)


@app.route("/health")
def health():
    return {"status": "ok", "version": app.config.get("VERSION")}


@app.get("/docs")
def docs():
    return app.send_static_file("docs.html")
