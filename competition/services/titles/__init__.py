"""技术能手 titles: nominations from final results, their decisions and the title register."""
