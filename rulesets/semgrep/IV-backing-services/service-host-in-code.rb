# ruleid: service-host-in-code-ruby
redis = Redis.new(host: "localhost", port: 6379)
# ruleid: service-host-in-code-ruby
db = Sequel.connect("postgres://postgres/app")
# ok: service-host-in-code-ruby
redis = Redis.new(url: ENV.fetch("REDIS_URL"))
