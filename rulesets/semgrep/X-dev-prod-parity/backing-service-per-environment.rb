if Rails.env.development?
  # ruleid: backing-service-per-environment-ruby
  config.cache_store = "memory"
end
# ok: backing-service-per-environment-ruby
config.cache_store = "redis"
