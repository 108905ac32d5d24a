# ruleid: listen-on-loopback-ruby
set :bind, "127.0.0.1"
# ok: listen-on-loopback-ruby
set :bind, "0.0.0.0"
