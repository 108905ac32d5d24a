# ruleid: worker-ignores-sigterm-ruby
loop do
  poll
  sleep(1)
end

def graceful
  trap("TERM") { @stop = true }
  # ok: worker-ignores-sigterm-ruby
  loop do
    poll
    sleep(1)
  end
end
