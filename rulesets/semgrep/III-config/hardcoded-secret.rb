require "jwt"

# ruleid: hardcoded-secret-ruby
config.secret_key_base = "abc123def456"
# ruleid: hardcoded-secret-ruby
API_KEY = "sk-live-123456"
# ruleid: hardcoded-secret-ruby
token = JWT.encode(payload, "my-jwt-secret", "HS256")

# ok: hardcoded-secret-ruby
config.secret_key_base = ENV.fetch("SECRET_KEY_BASE")
# ok: hardcoded-secret-ruby
token = JWT.encode(payload, ENV.fetch("JWT_SECRET"), "HS256")
