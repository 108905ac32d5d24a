# ruleid: secret-env-default-ruby
secret = ENV.fetch("SESSION_SECRET", "dev-session-secret")
# ruleid: secret-env-default-ruby
pw = ENV["DB_PASSWORD"] || "postgres"
# ok: secret-env-default-ruby
secret = ENV.fetch("SESSION_SECRET")
# ok: secret-env-default-ruby
threads = ENV.fetch("RAILS_MAX_THREADS", "5")
