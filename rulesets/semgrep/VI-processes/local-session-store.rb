# ruleid: local-session-store-ruby
use Rack::Session::Pool, expire_after: 3600
# ok: local-session-store-ruby
use Rack::Session::Cookie, secret: ENV.fetch("SESSION_SECRET")
