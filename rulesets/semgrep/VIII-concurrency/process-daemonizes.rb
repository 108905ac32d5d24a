# ruleid: process-daemonizes-ruby
Process.daemon(true)
# ok: process-daemonizes-ruby
Process.pid
