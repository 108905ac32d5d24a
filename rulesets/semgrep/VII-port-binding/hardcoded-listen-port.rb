# ruleid: hardcoded-listen-port-ruby
set :port, 4567
# ok: hardcoded-listen-port-ruby
set :port, ENV.fetch("PORT", 4567)
