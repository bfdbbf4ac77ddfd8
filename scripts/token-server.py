#!/usr/bin/env python3
"""A Docker registry token service for the integration tests (distribution's token auth spec).

GET /token?service=S&scope=repository:NAME:pull[,push] with optional Basic auth returns
{"token": JWT, "access_token": JWT}. Anonymous callers get pull only; the user in --htpasswd-plain
(user:password lines) gets pull and push; a wrong password is 401. JWTs are RS256, signed with
the openssl CLI, with the signing certificate in x5c so the registry can check it against its
rootcertbundle. Only the python3 standard library and openssl are used.
"""
import argparse, base64, json, subprocess, sys, time, os, secrets
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", default="127.0.0.1:5556")
    ap.add_argument("--key", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--users", required=True, help="file of user:password lines")
    ap.add_argument("--issuer", default="dockaudit-test-issuer")
    args = ap.parse_args()

    der = subprocess.run(["openssl", "x509", "-in", args.cert, "-outform", "DER"], check=True,
                         capture_output=True).stdout
    x5c = base64.b64encode(der).decode()
    users = {}
    with open(args.users) as f:
        for line in f:
            line = line.strip()
            if line and ":" in line:
                u, p = line.split(":", 1)
                users[u] = p

    def sign(claims):
        header = {"typ": "JWT", "alg": "RS256", "x5c": [x5c]}
        signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", args.key], input=signing_input, check=True,
                             capture_output=True).stdout
        return signing_input.decode() + "." + b64url(sig)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, fmt, *a):
            sys.stderr.write("token-server: " + (fmt % a) + "\n")

        def do_GET(self):
            url = urlparse(self.path)
            if url.path != "/token":
                self.send_error(404)
                return
            q = parse_qs(url.query)
            user = None
            auth = self.headers.get("Authorization")
            if auth and auth.startswith("Basic "):
                try:
                    u, p = base64.b64decode(auth[6:]).decode().split(":", 1)
                except Exception:
                    u, p = None, None
                if users.get(u) != p:
                    body = json.dumps({"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]}).encode()
                    self.send_response(401)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                user = u
            access = []
            for scope in q.get("scope", []):
                for one in scope.split(" "):
                    parts = one.split(":")
                    if len(parts) < 3 or parts[0] != "repository":
                        continue
                    name = ":".join(parts[1:-1])
                    wanted = parts[-1].split(",")
                    allowed = [a for a in wanted if a == "pull" or (user is not None and a in ("push", "delete", "*"))]
                    access.append({"type": "repository", "name": name, "actions": allowed})
            now = int(time.time())
            claims = {"iss": args.issuer, "sub": user or "", "aud": q.get("service", [""])[0],
                      "exp": now + 300, "nbf": now - 10, "iat": now, "jti": secrets.token_hex(8), "access": access}
            token = sign(claims)
            body = json.dumps({"token": token, "access_token": token, "expires_in": 300}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    host, port = args.listen.rsplit(":", 1)
    ThreadingHTTPServer((host, int(port)), Handler).serve_forever()


if __name__ == "__main__":
    main()
